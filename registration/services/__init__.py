"""Every write of the registration app, one function per change (see docs/decisions/0001).

The register (entries, removal, restoration) is in `register`; registration work is beside it:
`applications`, `renewals` (CPD, renewal, the end of the window, the temporary register),
`appeals`, `misuse_of_title` and `contact` (calls and emails). Import from here.
"""

from .appeals import appeal_decide, appeal_list_hearing, appeal_lodge
from .applications import (
    application_approve,
    application_assign,
    application_document_add,
    application_flag_for_investigation,
    application_pay,
    application_record_information_received,
    application_refuse,
    application_request_information,
    application_start,
    application_submit,
    application_update_draft,
    application_withdraw,
    applications_bulk_assign,
    letter_send,
)
from .contact import calls_import, email_enquiry_answer, email_enquiry_receive, emails_import
from .misuse_of_title import misuse_of_title_complete, misuse_of_title_open, misuse_of_title_start_work
from .register import (
    FIRST_ISSUED_NUMBER,
    NUMBER_SEQUENCE,
    annotation_add,
    issue_registration_number,
    name_tokens_add,
    register_entry_change_details,
    register_entry_create,
    register_entry_remove,
    register_entry_restore,
    registration_numbers_reserve_above,
    search_keys,
)
from .renewals import (
    cpd_record_add,
    registrant_sign_up,
    renewal_submit,
    renewal_window_close,
    renewal_window_closure_request,
    temporary_register_add,
    temporary_register_remove,
)

__all__ = [
    "FIRST_ISSUED_NUMBER",
    "NUMBER_SEQUENCE",
    "annotation_add",
    "appeal_decide",
    "appeal_list_hearing",
    "appeal_lodge",
    "application_approve",
    "application_assign",
    "application_document_add",
    "application_flag_for_investigation",
    "application_pay",
    "application_record_information_received",
    "application_refuse",
    "application_request_information",
    "application_start",
    "application_submit",
    "application_update_draft",
    "application_withdraw",
    "applications_bulk_assign",
    "calls_import",
    "cpd_record_add",
    "email_enquiry_answer",
    "email_enquiry_receive",
    "emails_import",
    "issue_registration_number",
    "letter_send",
    "misuse_of_title_complete",
    "misuse_of_title_open",
    "misuse_of_title_start_work",
    "name_tokens_add",
    "register_entry_change_details",
    "register_entry_create",
    "register_entry_remove",
    "register_entry_restore",
    "registrant_sign_up",
    "registration_numbers_reserve_above",
    "renewal_submit",
    "renewal_window_close",
    "renewal_window_closure_request",
    "search_keys",
    "temporary_register_add",
    "temporary_register_remove",
]
