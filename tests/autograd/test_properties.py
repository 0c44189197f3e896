"""Property tests: gradients of random compositions of table ops equal jax.grad of the same pure
function (which itself passes jax.test_util.check_grads) and central finite differences of our own
forward; shapes include 0-d and broadcastable pairs."""

import jax
import jax.numpy as jnp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from jax.test_util import check_grads

import torchish as torch

UNARY = [
    ("sin", lambda t: t.sin(), jnp.sin),
    ("tanh", lambda t: t.tanh(), jnp.tanh),
    ("sigmoid", lambda t: t.sigmoid(), jax.nn.sigmoid),
    ("exp_tanh", lambda t: t.tanh().exp(), lambda x: jnp.exp(jnp.tanh(x))),
    ("log1sq", lambda t: (t * t + 1).log(), lambda x: jnp.log(x * x + 1)),
    ("sqrt1sq", lambda t: (t * t + 1).sqrt(), lambda x: jnp.sqrt(x * x + 1)),
    ("neg", lambda t: -t, jnp.negative),
    ("cube", lambda t: t**3, lambda x: x**3),
    ("scale", lambda t: 2.5 * t - 1, lambda x: 2.5 * x - 1),
]
BINARY = [
    ("add", lambda a, b: a + b, jnp.add),
    ("sub", lambda a, b: a - b, jnp.subtract),
    ("mul", lambda a, b: a * b, jnp.multiply),
    ("div", lambda a, b: a / (b * b + 1), lambda x, y: x / (y * y + 1)),
]


@st.composite
def shape_pair(draw):
    """Two broadcastable shapes (either may be 0-d)."""
    rank = draw(st.integers(0, 3))
    base = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    k = draw(st.integers(0, rank))
    other = tuple(1 if draw(st.booleans()) else s for s in base[rank - k:])
    return (base, other) if draw(st.booleans()) else (other, base)


@st.composite
def program(draw):
    shapes = draw(shape_pair())
    steps = []
    for i in range(draw(st.integers(1, 5))):
        n = 2 + i
        if draw(st.booleans()):
            steps.append(("u", draw(st.integers(0, len(UNARY) - 1)), draw(st.integers(0, n - 1))))
        else:
            steps.append(("b", draw(st.integers(0, len(BINARY) - 1)), draw(st.integers(0, n - 1)),
                          draw(st.integers(0, n - 1))))
    seed = draw(st.integers(0, 2**16))
    return shapes, tuple(steps), seed


def run(steps, a, b, torchish_side):
    pool = [a, b]
    for st_ in steps:
        if st_[0] == "u":
            f = UNARY[st_[1]][1 if torchish_side else 2]
            pool.append(f(pool[st_[2]]))
        else:
            f = BINARY[st_[1]][1 if torchish_side else 2]
            pool.append(f(pool[st_[2]], pool[st_[3]]))
    total = pool[0].sum()
    for p in pool[1:]:
        total = total + p.sum()
    return total


@settings(max_examples=25, deadline=None)
@given(program())
def test_random_compositions_match_jax_grad_and_finite_differences(prog):
    (sa, sb), steps, seed = prog
    rng = np.random.default_rng(seed)
    xa, xb = rng.uniform(-1.5, 1.5, sa), rng.uniform(-1.5, 1.5, sb)

    def ref(x, y):
        return run(steps, x, y, False)
    check_grads(ref, (jnp.asarray(xa), jnp.asarray(xb)), order=1, modes=["rev"], rtol=1e-4)
    ga, gb = jax.grad(ref, argnums=(0, 1))(jnp.asarray(xa), jnp.asarray(xb))

    a = torch.tensor(xa, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(xb, dtype=torch.float64, requires_grad=True)
    loss = run(steps, a, b, True)
    loss.backward()
    np.testing.assert_allclose(loss.item(), float(ref(xa, xb)), rtol=1e-10)
    np.testing.assert_allclose(a.grad.numpy(), np.asarray(ga), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), np.asarray(gb), rtol=1e-9, atol=1e-12)

    # central differences of our own forward, on the first entry of each input
    eps = 1e-6
    for x, g, which in ((xa, a.grad, 0), (xb, b.grad, 1)):
        flat = x.reshape(-1).copy()
        vals = []
        for d in (eps, -eps):
            f = flat.copy()
            f[0] += d
            args = [xa, xb]
            args[which] = f.reshape(x.shape)
            ta = torch.tensor(args[0], dtype=torch.float64)
            tb = torch.tensor(args[1], dtype=torch.float64)
            vals.append(run(steps, ta, tb, True).item())
        fd = (vals[0] - vals[1]) / (2 * eps)
        np.testing.assert_allclose(g.numpy().reshape(-1)[0], fd, rtol=1e-5, atol=1e-6)


@settings(max_examples=10, deadline=None)
@given(program())
def test_two_backwards_with_retain_graph_double_the_grad(prog):
    (sa, sb), steps, seed = prog
    rng = np.random.default_rng(seed)
    a = torch.tensor(rng.uniform(-1, 1, sa), dtype=torch.float64, requires_grad=True)
    b = torch.tensor(rng.uniform(-1, 1, sb), dtype=torch.float64, requires_grad=True)
    loss = run(steps, a, b, True)
    loss.backward(retain_graph=True)
    once = a.grad.numpy().copy(), b.grad.numpy().copy()
    loss.backward()
    np.testing.assert_allclose(a.grad.numpy(), 2 * once[0], rtol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), 2 * once[1], rtol=1e-12)


@settings(max_examples=10, deadline=None)
@given(program())
def test_detach_and_no_grad_block_gradient(prog):
    (sa, sb), steps, seed = prog
    rng = np.random.default_rng(seed)
    xa, xb = rng.uniform(-1, 1, sa), rng.uniform(-1, 1, sb)
    a = torch.tensor(xa, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(xb, dtype=torch.float64, requires_grad=True)
    blocked = run(steps, a, b.detach(), True)
    with torch.no_grad():
        nog = run(steps, a, b, True)
    assert not nog.requires_grad and nog.grad_fn is None
    (blocked + nog * a.sum()).backward()
    assert b.grad is None

    def ref(x):
        return run(steps, x, jnp.asarray(xb), False) + float(nog.item()) * x.sum()
    np.testing.assert_allclose(a.grad.numpy(), np.asarray(jax.grad(ref)(jnp.asarray(xa))),
                               rtol=1e-9, atol=1e-12)
