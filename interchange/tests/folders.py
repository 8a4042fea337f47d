"""Small history folders, one file type each, for the import tests."""

from pathlib import Path

SMALL = {
    "registrants.csv": "registration_number,given_name,family_name,town,gender,nationality,date_of_birth,"
    """route,register,status,registered_on,origin
SW10001,Ann,Smith,Leeds,female,British,1980-01-02,uk,full,registered,2015-04-01,hcpc
SW10002,Bob,Jones,York,,,,not_recorded,full,removed,2016-05-01,hcpc
SW10003,Cy,Khan,Hull,,,,eea,temporary,registered,2020-03-20,swe
""",
    "register_events.csv": """registration_number,event,on,reason
SW10001,registered,2015-04-01,
SW10001,annotation_added,2018-01-01,amhp
SW10002,registered,2016-05-01,
SW10002,removed,2020-03-01,failure_to_renew
SW10003,added_to_temporary,2020-03-20,
""",
    "cpd_records.csv": """registration_number,recorded_on,activity_on,type,peer_reflection
SW10001,2020-01-02,2020-01-01,course,true
""",
    "providers.csv": "reference,name,town\nP1,University of Leeds,Leeds\n",
    "courses.csv": "reference,provider,title,level,mode,status\n"
    "CO1,P1,BA Social Work,undergraduate,full_time,approved\n",
    "course_events.csv": "reference,event,on,detail\nCO1,approved,2019-09-01,\n",
    "applications.csv": "reference,kind,route,registration_number,given_name,family_name,"
    """investigation_required,origin
APP-1,new,uk,,Cara,Brown,false,hcpc
APP-2,new,overseas,SW10001,Ann,Smith,true,hcpc
""",
    "application_events.csv": """reference,event,at
APP-1,received,2020-01-06T09:00:00+00:00
APP-1,info_requested,2020-01-07T09:00:00+00:00
APP-2,approved,2015-03-20T09:00:00+00:00
APP-2,received,2015-03-02T11:00:00+00:00
""",
    "cases.csv": """reference,origin,registration_number,referrer
HC-1,hcpc,SW10001,employer
HC-2,hcpc,,public
""",
    # Same-day times against the workflow: the review was keyed at 09:00, the identification at 14:00.
    "case_events.csv": """reference,event,at,detail
HC-1,concern_received,2020-01-06T09:00:00+00:00,
HC-1,social_worker_identified,2020-01-07T14:00:00+00:00,
HC-1,initial_review_completed,2020-01-07T09:00:00+00:00,
HC-1,interim_order_need_identified,2020-01-08T09:00:00+00:00,
HC-1,interim_order_decision,2020-01-09T09:00:00+00:00,suspension:18
HC-2,concern_received,2020-02-01,
""",
    # Two identical calls are two calls; a call hung up before queueing has 0 or no queue time.
    "calls.csv": """received_at,queue_seconds,outcome
2020-01-06T09:00:00+00:00,,hung_up_before_queue
2020-01-06T09:00:00+00:00,0,hung_up_before_queue
2020-01-06T09:00:00+00:00,0,hung_up_before_queue
2020-01-06T09:01:00+00:00,30,answered
""",
    # Answered the day it came, keyed with an earlier clock time.
    "emails.csv": "received_at,responded_at\n2020-01-06T15:00:00+00:00,2020-01-06T09:00:00+00:00\n",
    "complaints.csv": "reference,received_at,closed_at\nC-1,2020-01-06T15:00:00+00:00,2020-01-20T09:00:00+00:00\n",
}


def write_folder(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return path
