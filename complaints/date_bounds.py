"""The dates complaints and information requests accept, one bound per rule (regulator.date_bounds, decision 0760)."""

from regulator.date_bounds import DateBound, on_the_day, since_the_regulator_started

# A complaint about Social Work England, or a request for information it holds, was received by it:
# not before it began, and not in the future.
COMPLAINT_RECEIVED = DateBound(
    "The date the complaint was received", earliest=since_the_regulator_started, latest=on_the_day
)
REQUEST_RECEIVED = DateBound(
    "The date the request was received", earliest=since_the_regulator_started, latest=on_the_day
)
