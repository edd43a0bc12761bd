"""Graded names whose inspection breaks: functions that are their own ``__wrapped__`` (a loop
``inspect.unwrap`` refuses) and functions whose ``__signature__`` is not a Signature. The grader's
agent describes each name on its own and calls a function without a readable signature as given:
nothing here may spoil the notebook's other cells, its classmates or the batch."""

# status: graded
# place: target


def _wrong(*args, **kwargs):
    raise RuntimeError("this answer is wrong on purpose")


for _i, _name in enumerate(GRADED):  # noqa: F821

    def _answer(*args, **kwargs):
        return _wrong(*args, **kwargs)

    if _i % 2:
        _answer.__wrapped__ = _answer
    else:
        _answer.__signature__ = 42
    globals()[_name] = _answer
