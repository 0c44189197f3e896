"""Convolutions and pooling: forward, input/weight/bias gradients, grad_fn chains, reprs, errors."""

from _record import expect_error
from module_cases._util import det, run_module


def case_conv1d(torch):
    m = torch.nn.Conv1d(3, 4, 3)
    return run_module(torch, m, [det(torch, 2, 3, 7)])


def case_conv1d_stride_pad_dilation(torch):
    m = torch.nn.Conv1d(2, 4, 3, stride=2, padding=2, dilation=2, bias=False)
    return run_module(torch, m, [det(torch, 2, 2, 9)])


def case_conv1d_unbatched(torch):
    m = torch.nn.Conv1d(3, 2, 2)
    return run_module(torch, m, [det(torch, 3, 5)], grad_fn_chain=2)


def case_conv1d_padding_modes(torch):
    nn = torch.nn
    recs = {}
    for mode in ("reflect", "replicate", "circular"):
        recs[mode] = run_module(torch, nn.Conv1d(2, 3, 3, padding=1, padding_mode=mode),
                                [det(torch, 1, 2, 6)])
    return recs


def case_conv2d(torch):
    m = torch.nn.Conv2d(3, 4, 3)
    return run_module(torch, m, [det(torch, 2, 3, 6, 5)])


def case_conv2d_stride_padding(torch):
    m = torch.nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=(1, 2))
    return run_module(torch, m, [det(torch, 2, 2, 7, 6)])


def case_conv2d_groups(torch):
    m = torch.nn.Conv2d(4, 6, 3, groups=2, padding=1)
    return run_module(torch, m, [det(torch, 1, 4, 5, 5)])


def case_conv2d_depthwise_dilation(torch):
    m = torch.nn.Conv2d(3, 3, 3, groups=3, dilation=2, bias=False)
    return run_module(torch, m, [det(torch, 2, 3, 7, 7)])


def case_conv2d_same(torch):
    m = torch.nn.Conv2d(2, 3, (3, 4), padding="same")
    return run_module(torch, m, [det(torch, 1, 2, 5, 6)])


def case_conv2d_valid_unbatched(torch):
    m = torch.nn.Conv2d(2, 3, 2, padding="valid")
    return run_module(torch, m, [det(torch, 2, 4, 4)], grad_fn_chain=2)


def case_conv2d_reflect(torch):
    m = torch.nn.Conv2d(2, 2, 3, padding=1, padding_mode="reflect")
    return run_module(torch, m, [det(torch, 1, 2, 5, 5)])


def case_conv3d(torch):
    m = torch.nn.Conv3d(2, 3, (2, 3, 2), stride=(1, 2, 1), padding=1)
    return run_module(torch, m, [det(torch, 1, 2, 4, 5, 4)])


def case_conv_transpose1d(torch):
    m = torch.nn.ConvTranspose1d(3, 2, 3, stride=2, padding=1, output_padding=1)
    return run_module(torch, m, [det(torch, 2, 3, 5)])


def case_conv_transpose2d(torch):
    m = torch.nn.ConvTranspose2d(2, 4, (3, 2), stride=(2, 3), padding=(1, 0))
    return run_module(torch, m, [det(torch, 2, 2, 4, 3)])


def case_conv_transpose2d_groups_dilation(torch):
    m = torch.nn.ConvTranspose2d(4, 6, 3, stride=2, groups=2, dilation=2, bias=False)
    return run_module(torch, m, [det(torch, 1, 4, 3, 3)])


def case_conv_transpose2d_output_size(torch):
    m = torch.nn.ConvTranspose2d(2, 2, 3, stride=2, padding=1)
    torch.nn.init.constant_(m.weight, 0.1)
    x = det(torch, 1, 2, 4, 4)
    return {"sizes": [m(x).shape, m(x, output_size=[8, 8]).shape,
                      m(x, output_size=(1, 2, 7, 8)).shape],
            "bad": expect_error(lambda: m(x, output_size=[10, 10])),
            "bad_len": expect_error(lambda: m(x, output_size=[8]))}


def case_conv_reprs(torch):
    nn = torch.nn
    mods = [nn.Conv1d(3, 4, 3), nn.Conv2d(3, 4, 3, padding="same"),
            nn.Conv2d(3, 4, (3, 5), stride=2, padding=(1, 2), dilation=(2, 1), groups=1,
                      bias=False),
            nn.Conv1d(4, 4, 3, padding=1, padding_mode="reflect", groups=2),
            nn.Conv3d(1, 2, 3), nn.ConvTranspose1d(3, 2, 3, stride=2, output_padding=1),
            nn.ConvTranspose2d(2, 3, 3, stride=2, output_padding=1, dilation=2),
            nn.Conv2d(2, 2, 3, padding="valid")]
    return {"reprs": [repr(m) for m in mods],
            "state_dict": [[k, list(v.shape)] for m in mods[:3] for k, v in
                           m.state_dict().items()]}


def case_conv_errors(torch):
    nn = torch.nn
    F = torch.nn.functional
    c = nn.Conv2d(3, 4, 3)
    return {
        "channels": expect_error(lambda: c(torch.ones(1, 2, 5, 5))),
        "too_small": expect_error(lambda: c(torch.ones(1, 3, 2, 5))),
        "dims": expect_error(lambda: c(torch.ones(3, 5))),
        "groups": [expect_error(lambda: nn.Conv2d(3, 4, 3, groups=2)),
                   expect_error(lambda: nn.Conv2d(4, 3, 3, groups=2)),
                   expect_error(lambda: nn.Conv2d(4, 4, 3, groups=0))],
        "padding_str": [type(expect_error(lambda: nn.Conv2d(1, 1, 3, padding="full"))).__name__,
                        expect_error(lambda: nn.Conv2d(1, 1, 3, stride=2, padding="same"))],
        # (the message prints a set: its order varies with the hash seed)
        "padding_mode": type(expect_error(lambda: nn.Conv2d(1, 1, 3, padding_mode="zero"))
                             ).__name__,
        "transpose_mode": expect_error(lambda: nn.ConvTranspose2d(1, 1, 3,
                                                                  padding_mode="reflect")),
        "functional_dtype": [expect_error(lambda: F.conv1d(
            torch.ones(1, 1, 4, dtype=torch.float64), torch.ones(1, 1, 2))),
            expect_error(lambda: F.conv2d(torch.ones(1, 1, 4, 4), torch.ones(1, 1, 2, 2),
                                          torch.ones(1, dtype=torch.float64)))],
    }


# ---- pooling -------------------------------------------------------------------------------

def case_maxpool2d(torch):
    return run_module(torch, torch.nn.MaxPool2d(2), [det(torch, 2, 3, 6, 5)])


def case_maxpool2d_overlap_pad_dilation(torch):
    m = torch.nn.MaxPool2d(3, stride=2, padding=1, dilation=(1, 2))
    return run_module(torch, m, [det(torch, 1, 2, 7, 9)])


def case_maxpool2d_ceil_indices(torch):
    m = torch.nn.MaxPool2d((2, 3), stride=2, ceil_mode=True, return_indices=True)
    return run_module(torch, m, [det(torch, 2, 1, 5, 6)])


def case_maxpool2d_ties(torch):
    m = torch.nn.MaxPool2d(2, stride=1, return_indices=True)
    x = torch.tensor([[[[1.0, 1.0, 0.0], [1.0, 1.0, 2.0], [2.0, 2.0, 2.0]]]])
    return run_module(torch, m, [x])


def case_maxpool2d_unbatched(torch):
    return run_module(torch, torch.nn.MaxPool2d(2), [det(torch, 2, 4, 4)])


def case_maxpool1d(torch):
    m = torch.nn.MaxPool1d(3, stride=2, padding=1)
    return run_module(torch, m, [det(torch, 2, 3, 8)], grad_fn_chain=3)


def case_maxpool1d_indices(torch):
    m = torch.nn.MaxPool1d(2, return_indices=True, ceil_mode=True)
    return run_module(torch, m, [det(torch, 1, 2, 7)], grad_fn_chain=3)


def case_avgpool2d(torch):
    return run_module(torch, torch.nn.AvgPool2d(2), [det(torch, 2, 3, 6, 5)])


def case_avgpool2d_pad_ceil(torch):
    m = torch.nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True)
    return run_module(torch, m, [det(torch, 1, 2, 6, 7)])


def case_avgpool2d_exclude_pad(torch):
    m = torch.nn.AvgPool2d((3, 2), stride=(2, 1), padding=1, count_include_pad=False)
    return run_module(torch, m, [det(torch, 1, 2, 5, 4)])


def case_avgpool2d_divisor(torch):
    m = torch.nn.AvgPool2d(2, divisor_override=3)
    return run_module(torch, m, [det(torch, 1, 1, 4, 4)])


def case_avgpool1d(torch):
    m = torch.nn.AvgPool1d(3, stride=2, padding=1, count_include_pad=False)
    return run_module(torch, m, [det(torch, 2, 2, 9)], grad_fn_chain=3)


def case_adaptive_avgpool2d(torch):
    m = torch.nn.AdaptiveAvgPool2d((3, 2))
    return run_module(torch, m, [det(torch, 2, 2, 7, 5)])


def case_adaptive_avgpool2d_global(torch):
    m = torch.nn.AdaptiveAvgPool2d(1)
    return run_module(torch, m, [det(torch, 2, 3, 4, 4)])


def case_adaptive_avgpool2d_none(torch):
    m = torch.nn.AdaptiveAvgPool2d((None, 2))
    return run_module(torch, m, [det(torch, 1, 2, 3, 5)])


def case_adaptive_avgpool1d(torch):
    m = torch.nn.AdaptiveAvgPool1d(4)
    return run_module(torch, m, [det(torch, 2, 3, 10)], grad_fn_chain=3)


def case_pool_reprs(torch):
    nn = torch.nn
    mods = [nn.MaxPool2d(2), nn.MaxPool2d((2, 3), stride=1, padding=1, dilation=2,
                                          ceil_mode=True),
            nn.MaxPool1d(3, 2), nn.AvgPool2d(2), nn.AvgPool2d(3, 1, 1, divisor_override=2),
            nn.AvgPool1d(3), nn.AdaptiveAvgPool2d((1, 1)), nn.AdaptiveAvgPool2d(3),
            nn.AdaptiveAvgPool1d(2)]
    return [repr(m) for m in mods]


def case_pool_errors(torch):
    F = torch.nn.functional
    return {"pad": expect_error(lambda: F.max_pool2d(torch.ones(1, 1, 4, 4), 2, padding=2)),
            "too_small": expect_error(lambda: F.max_pool2d(torch.ones(1, 1, 1, 1), 2))}


def case_lenet_block(torch):
    nn = torch.nn
    m = nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(3, 4, 2),
                      nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
    return run_module(torch, m, [det(torch, 2, 1, 9, 9)])


def case_maxpool2d_nan_and_inf(torch):
    F = torch.nn.functional
    nan, inf = float("nan"), float("inf")
    x = torch.tensor([[[[1.0, nan, 0.0, nan], [2.0, 3.0, -inf, -inf], [nan, 5.0, -inf, -inf],
                        [4.0, nan, -inf, -inf]]]], requires_grad=True)
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    y2, idx2 = F.max_pool2d(x, 3, stride=1, padding=1, return_indices=True)
    (y.nan_to_num(0.0).sum() + y2.nan_to_num(0.0).sum()).backward()
    return {"y": y, "idx": idx, "y2": y2, "idx2": idx2, "x_grad": x.grad}


def case_maxpool3d(torch):
    m = torch.nn.MaxPool3d((2, 2, 1), stride=(1, 2, 1), padding=(1, 0, 0), return_indices=True)
    return run_module(torch, m, [det(torch, 1, 2, 3, 4, 3)])


def case_avgpool3d(torch):
    m = torch.nn.AvgPool3d(2, stride=1, padding=1, count_include_pad=False)
    return run_module(torch, m, [det(torch, 1, 2, 3, 3, 2)])


def case_adaptive_avgpool3d(torch):
    m = torch.nn.AdaptiveAvgPool3d((2, 3, 1))
    return run_module(torch, m, [det(torch, 2, 1, 3, 5, 4)])


def case_adaptive_maxpool2d(torch):
    m = torch.nn.AdaptiveMaxPool2d((3, 2), return_indices=True)
    return run_module(torch, m, [det(torch, 2, 2, 7, 5)])


def case_adaptive_maxpool1d(torch):
    m = torch.nn.AdaptiveMaxPool1d(4)
    return run_module(torch, m, [det(torch, 2, 3, 10)], grad_fn_chain=3)


def case_pool3d_and_adaptive_max_reprs(torch):
    nn = torch.nn
    return [repr(m) for m in (nn.MaxPool3d(2), nn.AvgPool3d(2), nn.AdaptiveMaxPool2d(3),
                              nn.AdaptiveAvgPool3d(2), nn.AdaptiveMaxPool1d(2, True))]
