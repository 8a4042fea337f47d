"""The dates registration accepts, one bound per rule (regulator.date_bounds, decision 0760)."""

from regulator.date_bounds import DateBound, days_ahead, on_the_day, years_ago, years_ahead

# A social work qualification held by someone still in practice: within the last 60 years, not in the future.
QUALIFIED_ON = DateBound("The date you qualified", earliest=years_ago(60), latest=on_the_day)
# CPD counts for the registration year being renewed: within the last two years, not in the future.
CPD_DONE_ON = DateBound("The date of your CPD", earliest=years_ago(2), latest=on_the_day)
CPD_REFLECTED_ON = DateBound("The date you reflected", earliest=years_ago(2), latest=on_the_day)
# An appeal hearing is listed from today up to two years ahead.
APPEAL_HEARING_ON = DateBound("The hearing date", earliest=on_the_day, latest=years_ahead(2))
# An annotation (an area of extended practice) started within the last 50 years, at most a year ahead.
ANNOTATION_STARTS = DateBound("The annotation's start date", earliest=years_ago(50), latest=years_ahead(1))
# Emergency powers: a temporary registration lasts at most two years from today.
TEMPORARY_UNTIL = DateBound("The end of temporary registration", earliest=days_ahead(1), latest=years_ahead(2))
