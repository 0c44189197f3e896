"""grad_fn names: the node torch records belongs to the op (overload) it ran, including the
decompositions composites record (STYLE.md section 2), and next_functions edges."""


def _names(**tensors):
    return {
        k: type(v.grad_fn).__name__ if v.grad_fn is not None else None for k, v in tensors.items()
    }


def case_arithmetic(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    c = a * 1
    c.add_(1)
    return _names(
        add_scalar=a + 1,
        add=a + b,
        radd=1 + a,
        add_inplace=c,
        sub=a - b,
        sub_scalar=a - 1,
        rsub=1 - a,
        mul=a * b,
        mul_scalar=a * 2,
        div=a / b,
        div_scalar=a / 2,
        rdiv=1 / a,
        neg=-a,
    )


def case_pow_overloads(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    return _names(tensor_scalar=a**2, tensor_tensor=a**b, scalar_tensor=2**a, sqrt=a.sqrt())


def case_reductions(torch):
    a = torch.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)
    values, indices = a.max(1)
    return {
        **_names(
            max_all=a.max(),
            max_dim_values=values,
            sum_all=a.sum(),
            sum_dim=a.sum(0),
            sum_keepdim=a.sum(0, keepdim=True),
            mean_all=a.mean(),
            mean_dim=a.mean(1),
            min_all=a.min(),
            amax=a.amax(1),
            argmax=a.argmax(),
        ),
        "max_dim_indices": indices,
    }


def case_transposes_and_views(torch):
    a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    return _names(
        dot_T=a.T,
        dot_t=a.t(),
        transpose=a.transpose(0, 1),
        permute=a.permute(1, 0),
        view=a.view(6),
        reshape_contiguous=a.reshape(6),
        reshape_of_T=a.T.reshape(6),
        flatten=a.flatten(),
        unsqueeze=a.unsqueeze(0),
        squeeze=a.unsqueeze(0).squeeze(0),
        expand=a[:1].expand(3, 3),
        select=a[0],
        slice=a[:, 1:],
        index=a[[0, 1]],
        contiguous_T=a.T.contiguous(),
    )


def case_matmul_variants(torch):
    a = torch.ones(2, 3, requires_grad=True)
    w = torch.ones(3, 3, requires_grad=True)
    b3 = torch.ones(4, 2, 3, requires_grad=True)
    return _names(
        dot=a[0] @ w[0],
        mv=a @ w[0],
        mm=a @ w,
        batched_3d_2d=b3 @ w,
        batched_3d_3d=b3 @ torch.ones(4, 3, 2),
        matmul_fn=torch.matmul(a[0], w),
    )


def case_casts(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    return {
        **_names(double=a.double(), to_float64=a.to(torch.float64), half=a.half(), clone=a.clone()),
        "float_is_self": a.float() is a,
        "to_same_dtype_is_self": a.to(torch.float32) is a,
    }


def case_functional(torch):
    F = torch.nn.functional
    x2 = torch.tensor([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]], requires_grad=True)
    x3 = x2.unsqueeze(0)
    w = torch.tensor([[0.1, 0.2, 0.3], [-0.1, 0.0, 0.4]], requires_grad=True)
    bias = torch.tensor([0.5, -0.5], requires_grad=True)
    target = torch.tensor([2, 0])
    ce = F.cross_entropy(x2, target)
    return {
        **_names(
            linear_2d=F.linear(x2, w, bias),
            linear_3d=F.linear(x3, w, bias),
            linear_no_bias=F.linear(x2, w),
            relu=F.relu(x2),
            sigmoid=torch.sigmoid(x2),
            tanh=torch.tanh(x2),
            exp=x2.exp(),
            log=x2.abs().log(),
            softmax=F.softmax(x2, dim=1),
            log_softmax=F.log_softmax(x2, dim=1),
            mse=F.mse_loss(x2, torch.zeros(2, 3)),
            layer_norm=F.layer_norm(x2, (3,)),
            gelu=F.gelu(x2),
            cross_entropy=ce,
            bce_logits=F.binary_cross_entropy_with_logits(x2, torch.zeros(2, 3)),
            abs=x2.abs(),
            clamp=x2.clamp(0, 1),
            clamp_min=x2.clamp(min=0),
        ),
        "cross_entropy_next": ce.grad_fn.next_functions[0][0],
    }


def case_next_functions(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    c = torch.tensor([5.0, 6.0])
    return {
        "a*2": (a * 2).grad_fn,
        "a*b": (a * b).grad_fn,
        "a*c": (a * c).grad_fn,
        "(a*b).sum()": (a * b).sum().grad_fn,
        "a.T_of_2d": a.unsqueeze(0).T.grad_fn,
        "leaf": a.grad_fn,
        "accumulate_grad_edge": (a * 2).grad_fn.next_functions[0][0].next_functions,
    }


def case_cat_stack_where(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    return _names(
        cat=torch.cat([a, b]),
        stack=torch.stack([a, b]),
        where=torch.where(a > 1, a, b),
        maximum=torch.maximum(a, b),
    )
