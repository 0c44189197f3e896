"""Loss modules with every reduction: value, input gradient, grad_fn, repr and buffers."""

from _record import expect_error
from module_cases._util import det

REDUCTIONS = ("mean", "sum", "none")


def _run(torch, make, inputs, reductions=REDUCTIONS):
    """For each reduction: the loss, the gradient of its weighted sum w.r.t. the float inputs."""
    out = {}
    for r in reductions:
        ins = [x.clone().requires_grad_() if x.dtype.is_floating_point and i == 0 else x
               for i, x in enumerate(inputs)]
        m = make(r)
        loss = m(*ins)
        w = det(torch, *loss.shape, seed=7) if loss.dim() else 1.0
        (loss * w).sum().backward()
        out[r] = {"loss": loss, "input_grad": ins[0].grad, "grad_fn": type(loss.grad_fn).__name__}
    out["repr"] = repr(make("mean"))
    out["state_dict"] = list(make("mean").state_dict().keys())
    return out


def case_mse(torch):
    return _run(torch, lambda r: torch.nn.MSELoss(reduction=r),
                [det(torch, 3, 4), det(torch, 3, 4, seed=1)])


def case_l1(torch):
    return _run(torch, lambda r: torch.nn.L1Loss(reduction=r),
                [det(torch, 3, 4), det(torch, 3, 4, seed=1)])


def case_smooth_l1(torch):
    return _run(torch, lambda r: torch.nn.SmoothL1Loss(reduction=r, beta=0.5),
                [det(torch, 3, 4, scale=2.0), det(torch, 3, 4, seed=1)])


def case_huber(torch):
    return _run(torch, lambda r: torch.nn.HuberLoss(reduction=r, delta=0.7),
                [det(torch, 3, 4, scale=2.0), det(torch, 3, 4, seed=1)])


def case_cross_entropy(torch):
    return _run(torch, lambda r: torch.nn.CrossEntropyLoss(reduction=r),
                [det(torch, 4, 5, scale=2.0), torch.tensor([0, 3, 4, 1])])


def case_cross_entropy_weight_ignore_smoothing(torch):
    w = det(torch, 5, seed=3).abs() + 0.5
    return _run(torch, lambda r: torch.nn.CrossEntropyLoss(weight=w, ignore_index=2,
                                                            label_smoothing=0.1, reduction=r),
                [det(torch, 4, 5, scale=2.0), torch.tensor([0, 2, 4, 1])])


def case_cross_entropy_probs_and_nd(torch):
    probs = det(torch, 3, 4, seed=2).softmax(dim=1)
    rec = _run(torch, lambda r: torch.nn.CrossEntropyLoss(reduction=r),
               [det(torch, 3, 4), probs])
    rec["nd"] = _run(torch, lambda r: torch.nn.CrossEntropyLoss(reduction=r),
                     [det(torch, 2, 3, 4), torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]])])
    return rec


def case_nll(torch):
    logp = det(torch, 4, 3).log_softmax(dim=1)
    return _run(torch, lambda r: torch.nn.NLLLoss(reduction=r, ignore_index=1),
                [logp, torch.tensor([0, 1, 2, 2])])


def case_bce(torch):
    p = det(torch, 3, 4).sigmoid()
    return _run(torch, lambda r: torch.nn.BCELoss(reduction=r, weight=torch.tensor(
        [1.0, 2.0, 0.5, 1.0])), [p, (det(torch, 3, 4, seed=1) > 0).float()])


def case_bce_with_logits(torch):
    pw = torch.tensor([1.0, 2.0, 0.5, 3.0])
    return _run(torch, lambda r: torch.nn.BCEWithLogitsLoss(reduction=r, pos_weight=pw),
                [det(torch, 3, 4, scale=3.0), (det(torch, 3, 4, seed=1) > 0).float()])


def case_kl_div(torch):
    rec = _run(torch, lambda r: torch.nn.KLDivLoss(reduction=r),
               [det(torch, 3, 4).log_softmax(1), det(torch, 3, 4, seed=1).softmax(1)],
               reductions=("sum", "none", "batchmean"))
    rec["log_target"] = _run(torch, lambda r: torch.nn.KLDivLoss(reduction=r, log_target=True),
                             [det(torch, 3, 4).log_softmax(1),
                              det(torch, 3, 4, seed=1).log_softmax(1)], reductions=("sum",))
    return rec


def case_soft_margin(torch):
    return _run(torch, lambda r: torch.nn.SoftMarginLoss(reduction=r),
                [det(torch, 3, 4), torch.tensor([1.0, -1.0, 1.0, -1.0]).expand(3, 4)])


def case_cosine_embedding(torch):
    return _run(torch, lambda r: torch.nn.CosineEmbeddingLoss(margin=0.2, reduction=r),
                [det(torch, 4, 3), det(torch, 4, 3, seed=1), torch.tensor([1, -1, 1, -1])])


def case_margin_ranking(torch):
    return _run(torch, lambda r: torch.nn.MarginRankingLoss(margin=0.1, reduction=r),
                [det(torch, 5), det(torch, 5, seed=1), torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0])])


def case_poisson_nll(torch):
    return _run(torch, lambda r: torch.nn.PoissonNLLLoss(reduction=r),
                [det(torch, 3, 4), det(torch, 3, 4, seed=1).abs() * 3])


def case_triplet_margin(torch):
    return _run(torch, lambda r: torch.nn.TripletMarginLoss(margin=0.5, reduction=r),
                [det(torch, 3, 4), det(torch, 3, 4, seed=1), det(torch, 3, 4, seed=2)])


def case_legacy_reduction_and_errors(torch):
    from _record import warnings_of
    nn = torch.nn
    made = []
    warns = warnings_of(lambda: made.append(nn.MSELoss(size_average=False)))
    return {"reduction": made[0].reduction, "warnings": warns,
            "bad": expect_error(lambda: nn.MSELoss(reduction="avg")(torch.ones(1),
                                                                    torch.ones(1))),
            "triplet": expect_error(lambda: nn.TripletMarginLoss(margin=0)),
            "ce_weight_buffer": [n for n, _ in nn.CrossEntropyLoss(
                weight=torch.ones(3)).named_buffers()]}


def case_hinge_embedding(torch):
    return _run(torch, lambda r: torch.nn.HingeEmbeddingLoss(margin=0.5, reduction=r),
                [det(torch, 3, 4), torch.tensor([1.0, -1.0, 1.0, -1.0]).expand(3, 4)])
