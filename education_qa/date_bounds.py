"""The dates education quality assurance accepts, one bound per rule (regulator.date_bounds, decision 0760)."""

from regulator.date_bounds import DateBound, days_ahead, on_the_day, since_the_regulator_started, years_ahead

# What was sent to Social Work England (an approval request, a change, an enquiry, a concern) was received
# by it: not before it began, and not in the future.
RECEIVED = DateBound("The date it was received", earliest=since_the_regulator_started, latest=on_the_day)
# An inspection is arranged within two years (the request's received date narrows the start).
INSPECTION_STARTS = DateBound("The inspection's first day", latest=years_ahead(2))
# A condition is met within three years of the decision that set it (the decision date narrows it).
CONDITION_DUE = DateBound("A condition's due date", latest=years_ahead(3))
# Annual monitoring returns are due within a year of the cycle opening.
MONITORING_DUE = DateBound("The date returns are due", earliest=days_ahead(1), latest=years_ahead(1))
