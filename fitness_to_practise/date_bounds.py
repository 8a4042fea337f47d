"""The dates fitness to practise accepts, one bound per rule (regulator.date_bounds, decision 0760).

The case's own history narrows each one where the service checks it: a hearing is listed on or after
the case was referred to a hearing, its outcome is on or after its first day, the next interim order
review falls before the order ends."""

from regulator.date_bounds import DateBound, days_ahead, on_the_day, years_ago, years_ahead

# A hearing is listed up to two years ahead (the hearings calendar), never before the referral.
HEARING_FIRST_DAY = DateBound("The hearing's first day", earliest=years_ago(1), latest=years_ahead(2))
HEARING_LONGEST_DAYS = 30  # a listing longer than this is two listings (part-heard, then resumed)
# A decision is recorded on the day it was made or later: never in the future.
DECISION_DATE = DateBound("The date of the decision", earliest=years_ago(1), latest=on_the_day)
# The next interim order review: after today, before the order ends (the case's order narrows it).
NEXT_INTERIM_REVIEW = DateBound("The next review", earliest=days_ahead(1), latest=years_ahead(1))
# A response to an evidence request is due from tomorrow up to six months ahead.
EVIDENCE_DUE = DateBound("The date the response is due", earliest=days_ahead(1), latest=days_ahead(183))
# A concern typed in by staff was received on paper or by phone in the last year, not in the future.
CONCERN_RECEIVED = DateBound("The date the concern was received", earliest=years_ago(1), latest=on_the_day)
