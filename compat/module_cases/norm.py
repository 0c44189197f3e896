"""BatchNorm (training and eval, running statistics, momentum, num_batches_tracked), LayerNorm,
GroupNorm: outputs, gradients, buffers after forward, reprs and state_dict layout."""

from _record import expect_error
from module_cases._util import det, fill, run_module

VAR = ("running_var",)


def case_batchnorm1d_train(torch):
    m = torch.nn.BatchNorm1d(3)
    return run_module(torch, m, [det(torch, 5, 3, scale=2.0)], positive=VAR)


def case_batchnorm1d_3d_input(torch):
    m = torch.nn.BatchNorm1d(3, momentum=0.3)
    return run_module(torch, m, [det(torch, 4, 3, 5)], positive=VAR)


def case_batchnorm2d_train(torch):
    m = torch.nn.BatchNorm2d(2)
    return run_module(torch, m, [det(torch, 3, 2, 4, 3, scale=3.0)], positive=VAR)


def case_batchnorm2d_eval(torch):
    m = torch.nn.BatchNorm2d(3).eval()
    return run_module(torch, m, [det(torch, 2, 3, 2, 2)], positive=VAR)


def case_batchnorm_no_affine_no_stats(torch):
    m = torch.nn.BatchNorm1d(4, affine=False, track_running_stats=False)
    rec = run_module(torch, m, [det(torch, 6, 4)])
    m.eval()
    rec["eval_uses_batch_stats"] = m(det(torch, 3, 4, seed=2))
    return rec


def case_batchnorm_momentum_none(torch):
    m = fill(torch, torch.nn.BatchNorm1d(2, momentum=None), positive=VAR)
    outs = []
    for k in range(3):
        m(det(torch, 4, 2, seed=k, scale=1.0 + k))
        outs.append([m.running_mean.clone(), m.running_var.clone(),
                     m.num_batches_tracked.clone()])
    return outs


def case_batchnorm_several_steps(torch):
    m = fill(torch, torch.nn.BatchNorm2d(2), positive=VAR)
    for k in range(3):
        y = m(det(torch, 2, 2, 3, 3, seed=k))
    m.eval()
    return {"train_out": y, "eval_out": m(det(torch, 1, 2, 3, 3, seed=9)),
            "state": dict(m.state_dict())}


def case_batchnorm_bias_false_and_reprs(torch):
    nn = torch.nn
    m = nn.BatchNorm2d(3, bias=False)
    return {"reprs": [repr(m), repr(nn.BatchNorm1d(4, eps=1e-3, momentum=None, affine=False)),
                      repr(nn.BatchNorm2d(2, track_running_stats=False))],
            "state": [[k, list(v.shape), str(v.dtype)] for k, v in m.state_dict().items()],
            "params": [n for n, _ in m.named_parameters()],
            "init": [m.weight, m.running_mean, m.running_var, m.num_batches_tracked]}


def case_batchnorm_errors(torch):
    nn = torch.nn
    return {"dim1d": expect_error(lambda: nn.BatchNorm1d(3)(torch.ones(2, 3, 4, 5))),
            "dim2d": expect_error(lambda: nn.BatchNorm2d(3)(torch.ones(2, 3))),
            "one_value": expect_error(lambda: nn.BatchNorm1d(3)(torch.ones(1, 3)))}


def case_batchnorm_load_old_checkpoint(torch):
    m = torch.nn.BatchNorm1d(2)
    sd = {"weight": torch.ones(2), "bias": torch.zeros(2), "running_mean": torch.zeros(2),
          "running_var": torch.ones(2)}
    return repr(m.load_state_dict(sd))


def case_layernorm(torch):
    m = torch.nn.LayerNorm(4)
    return run_module(torch, m, [det(torch, 3, 4, scale=2.0)])


def case_layernorm_2d_shape(torch):
    m = torch.nn.LayerNorm((3, 2), eps=1e-3)
    return run_module(torch, m, [det(torch, 2, 4, 3, 2)])


def case_layernorm_no_affine(torch):
    m = torch.nn.LayerNorm(5, elementwise_affine=False)
    return run_module(torch, m, [det(torch, 2, 5)])


def case_layernorm_no_bias(torch):
    m = torch.nn.LayerNorm(3, bias=False)
    return run_module(torch, m, [det(torch, 2, 2, 3)])


def case_layernorm_float64(torch):
    m = torch.nn.LayerNorm(4, dtype=torch.float64)
    return run_module(torch, m, [det(torch, 3, 4, dtype=torch.float64)])


def case_layernorm_error(torch):
    return expect_error(lambda: torch.nn.LayerNorm(4)(torch.ones(2, 3)))


def case_groupnorm(torch):
    m = torch.nn.GroupNorm(2, 4)
    return run_module(torch, m, [det(torch, 2, 4, 3, 3, scale=2.0)])


def case_groupnorm_1d_and_no_affine(torch):
    m = torch.nn.GroupNorm(3, 3, affine=False)
    return run_module(torch, m, [det(torch, 2, 3, 5)])


def case_groupnorm_errors_and_reprs(torch):
    nn = torch.nn
    return {"ctor": expect_error(lambda: nn.GroupNorm(3, 4)),
            "input": expect_error(lambda: torch.nn.functional.group_norm(torch.ones(2, 3, 2), 2)),
            "reprs": [repr(nn.GroupNorm(2, 4)), repr(nn.GroupNorm(1, 3, eps=1e-3, affine=False)),
                      repr(nn.LayerNorm(4)), repr(nn.LayerNorm((2, 3), elementwise_affine=False)),
                      repr(nn.LayerNorm(4, bias=False))]}


def case_instancenorm1d(torch):
    m = torch.nn.InstanceNorm1d(3)
    return run_module(torch, m, [det(torch, 2, 3, 5, scale=2.0)], grad_fn_chain=3)


def case_instancenorm2d_affine_running(torch):
    m = torch.nn.InstanceNorm2d(2, affine=True, track_running_stats=True, momentum=0.2)
    rec = run_module(torch, m, [det(torch, 3, 2, 3, 3)], positive=VAR)
    m.eval()
    rec["eval"] = m(det(torch, 1, 2, 3, 3, seed=4))
    return rec


def case_instancenorm_unbatched_and_reprs(torch):
    nn = torch.nn
    m = nn.InstanceNorm2d(2)
    return {"out": m(det(torch, 2, 3, 3)),
            "reprs": [repr(nn.InstanceNorm2d(3)),
                      repr(nn.InstanceNorm1d(4, affine=True, track_running_stats=True)),
                      repr(nn.InstanceNorm3d(2, eps=1e-3))],
            "state": list(nn.InstanceNorm1d(4, affine=True, track_running_stats=True)
                          .state_dict().keys()),
            "bad": expect_error(lambda: nn.InstanceNorm1d(3, affine=True)(torch.ones(2, 4, 5))),
            "one_spatial": expect_error(lambda: nn.InstanceNorm1d(3)(torch.ones(2, 3, 1)))}


def case_rmsnorm(torch):
    m = torch.nn.RMSNorm(4)
    return run_module(torch, m, [det(torch, 3, 4, scale=2.0)], grad_fn_chain=2)


def case_rmsnorm_eps_no_affine(torch):
    m = torch.nn.RMSNorm((2, 3), eps=1e-3, elementwise_affine=False)
    rec = run_module(torch, m, [det(torch, 2, 2, 3)], grad_fn_chain=2)
    rec["reprs"] = [repr(torch.nn.RMSNorm(4)), repr(m)]
    return rec
