"""Sequence padding helpers: pad_sequence / unpad_sequence (PackedSequence is not supported yet)."""

from ..._ops import factory


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack (L_i, *) tensors into (T, B, *) (or (B, T, *)), padded to the longest, written into
    a filled tensor slice by slice as torch does (grad_fn CopySlices)."""
    if padding_side not in ("left", "right"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got "
                         f"{padding_side}.")
    sequences = list(sequences)
    trailing = tuple(sequences[0].shape[1:])
    for s in sequences[1:]:
        if tuple(s.shape[1:]) != trailing:
            from ..._dispatch import broadcast_shapes
            # torch's message from copying into the (L_i, *) slice
            broadcast_shapes((s.size(0),) + trailing, tuple(s.shape))
    longest = max(s.size(0) for s in sequences)
    dims = (len(sequences), longest) if batch_first else (longest, len(sequences))
    out = factory.full(dims + trailing, padding_value, dtype=sequences[0].dtype)
    for i, s in enumerate(sequences):
        n = s.size(0)
        start = longest - n if padding_side == "left" else 0
        if batch_first:
            out[i, start:start + n] = s
        else:
            out[start:start + n, i] = s
    return out


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The inverse of pad_sequence (right padding): a list of (L_i, *) tensors. torch also
    transposes time-major input in place (the caller's tensor becomes (B, T, *)); here the
    caller's tensor is left as it is."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)  # (B, T, *)
    idx = factory.arange(padded_sequences.shape[1])
    return [seq[idx < n] for seq, n in zip(padded_sequences, lengths)]


__all__ = ["pad_sequence", "unpad_sequence"]
