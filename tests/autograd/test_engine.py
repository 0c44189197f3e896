"""Engine behaviour beyond the torch records: which programs run, direct mode, Functions and
functional transforms inside compiled programs, leaf roots, and create_graph loops."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import torchish as torch
from torchish.autograd._direct import direct_mode


def test_retain_grad_without_hooks_stays_one_program():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a = x.exp()
    a.retain_grad()
    b = (a * x).sum()
    b.item()
    torch.reset_compile_cache_stats()
    b.backward()
    assert torch.compile_cache_stats()[2] == 1
    np.testing.assert_allclose(a.grad.numpy(), [1.0, 2.0])


def test_observing_hook_sees_concrete_gradient():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    a = x * 3
    a.register_hook(lambda g: seen.append(g.tolist()))
    (a * a).sum().backward()
    assert seen == [[6.0, 12.0]]
    np.testing.assert_allclose(x.grad.numpy(), [18.0, 36.0])


def test_leaf_root_gets_a_copy_of_the_gradient():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    g = torch.tensor([3.0, 4.0])
    x.backward(g)
    assert x.grad is not g
    x.backward(g)
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 8.0])
    np.testing.assert_allclose(g.numpy(), [3.0, 4.0])


def test_direct_mode_computes_on_tracers():
    from torchish._tensor import from_array

    def f(arr):
        with direct_mode():
            c = torch.tensor([0.0, 0.5])  # a constant made inside
            out = (from_array(arr) * 2).exp() + c
            assert out._v.data is not None and out.grad_fn is None
            return out._v.data
    r = jax.jit(f)(jnp.array([0.0, 1.0], jnp.float32))
    np.testing.assert_allclose(np.asarray(r), np.exp([0.0, 2.0]) + [0.0, 0.5], rtol=1e-6)


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g


def test_function_in_a_loop_compiles_once():
    w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    for step in range(13):
        if step == 3:
            torch.reset_compile_cache_stats()
        loss = Square.apply(w).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            w.grad = None
    assert torch.compile_cache_stats()[1] == 0
    np.testing.assert_allclose(w.detach().numpy(), np.array([1.0, -2.0, 0.5]) * 0.8**13,
                               rtol=1e-5)


def test_function_reads_pending_argument():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = Square.apply(x * 3)  # the argument is still pending when the Function records
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [18.0, 36.0])


def test_gradient_penalty_loop_compiles_once():
    w = torch.tensor([0.5, -0.3], requires_grad=True)
    x = torch.tensor([1.0, 2.0])
    for step in range(8):
        if step == 3:
            torch.reset_compile_cache_stats()
        out = ((x * w).tanh() ** 2).sum()
        (g,) = torch.autograd.grad(out, w, create_graph=True)
        loss = out + (g * g).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            w.grad = None
    assert torch.compile_cache_stats()[1] == 0


def test_gradient_penalty_matches_jax():
    x = jnp.array([1.0, 2.0])

    def f(w):
        out = jnp.sum(jnp.tanh(x * w) ** 2)
        g = jax.grad(lambda v: jnp.sum(jnp.tanh(x * v) ** 2))(w)
        return out + jnp.sum(g * g)
    w0 = np.array([0.5, -0.3])
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    xt = torch.tensor([1.0, 2.0], dtype=torch.float64)
    out = ((xt * w).tanh() ** 2).sum()
    (g,) = torch.autograd.grad(out, w, create_graph=True)
    (out + (g * g).sum()).backward()
    np.testing.assert_allclose(w.grad.numpy(), np.asarray(jax.grad(f)(jnp.asarray(w0))),
                               rtol=1e-10)


def test_jacobian_leaves_closed_over_parameters_alone():
    W = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = torch.tensor([1.0, -1.0])
    j = torch.autograd.functional.jacobian(lambda v: (W @ v).tanh(), x)
    assert W.grad is None and not j.requires_grad
    ref = jax.jacrev(lambda v: jnp.tanh(jnp.array([[1.0, 2.0], [3.0, 4.0]]) @ v))(
        jnp.array([1.0, -1.0]))
    np.testing.assert_allclose(j.numpy(), np.asarray(ref), rtol=1e-6)


def test_hessian_of_a_model_loss_matches_jax():
    A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])
    At = torch.tensor(A, dtype=torch.float64)

    def f(v):
        return (v @ At @ v).sin() + (v**4).sum()
    x0 = np.array([0.1, -0.2, 0.3])
    h = torch.autograd.functional.hessian(f, torch.tensor(x0, dtype=torch.float64))
    ref = jax.hessian(lambda v: jnp.sin(v @ A @ v) + jnp.sum(v**4))(jnp.asarray(x0))
    np.testing.assert_allclose(h.numpy(), np.asarray(ref), rtol=1e-9)


def test_version_check_passes_after_out_of_place_rebinding():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y = y + 1  # a new tensor: the saved result is untouched
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([1.0, 2.0]), rtol=1e-6)


def test_backward_twice_without_retain_raises():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * 2).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_function_reading_values_says_why_it_cannot():
    class Branchy(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2 if x.sum() > 0 else x

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(NotImplementedError, match="traced by JAX"):
        Branchy.apply(torch.ones(2, requires_grad=True))


def test_function_closing_over_a_pending_tensor_warns():
    w = torch.ones(2) * 3  # pending

    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * w

        @staticmethod
        def backward(ctx, g):
            return g * w

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="baked into the compiled program"):
        y = Scale.apply(x)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])


def test_backward_of_a_leaf_scalar_sets_its_grad_to_one():
    w = torch.tensor(2.0, requires_grad=True)
    w.backward()
    assert w.grad.item() == 1.0
    (w * 3).backward()  # a tape-served backward after it accumulates
    assert w.grad.item() == 4.0


def test_threads_record_on_tapes_of_their_own():
    """Two threads training at once get what each gets alone (a shared tape would hand both
    threads' ops the same program slots)."""
    import threading

    def train(seed, out):
        g = torch.Generator().manual_seed(seed)  # the default one would be shared
        w = torch.randn(8, 4, generator=g).requires_grad_()
        x = torch.randn(16, 8, generator=g)
        for _ in range(30):
            loss = (x @ w).tanh().pow(2).mean()
            loss.backward()
            with torch.no_grad():
                w -= 0.1 * w.grad
                w.grad = None
        out.append(w.detach().numpy().copy())

    alone = []
    for s in (1, 2):
        train(s, alone)
    together = [[], []]
    threads = [threading.Thread(target=train, args=(s, together[i])) for i, s in enumerate((1, 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    np.testing.assert_array_equal(together[0][0], alone[0])
    np.testing.assert_array_equal(together[1][0], alone[1])
