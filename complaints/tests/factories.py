import datetime as dt

from complaints import services


def make_complaint(received_on=dt.date(2020, 4, 2), registrant=None, category="fees", name="Pat Complainant"):
    return services.complaint_receive(
        complainant_name=name,
        category=category,
        summary="The fee was taken twice",
        actor=None,
        received_on=received_on,
        registrant=registrant,
    )


def closed_complaint(officer, *, received_on, closed_on, registrant=None):
    c = make_complaint(received_on=received_on, registrant=registrant)
    services.complaint_assign(complaint=c, officer=officer, actor=officer)
    services.complaint_respond(complaint=c, actor=officer, response="Refunded", on=closed_on)
    return services.complaint_close(complaint=c, actor=officer, on=closed_on)


def make_request(kind="foi", received_on=dt.date(2020, 4, 2), registrant=None):
    return services.information_request_receive(
        kind=kind,
        requester_name="Sam Requester",
        description="All my data" if kind == "sar" else "Budgets",
        actor=None,
        received_on=received_on,
        registrant=registrant,
    )
