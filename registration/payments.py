"""Taking fees: one interface, and a development provider that simulates the outcome.

No card data ever reaches the product: a real provider (GOV.UK Pay, say) takes the card on its
own pages and tells us the outcome and its reference; that is all a Payment row keeps. The
development provider stands in for it: the payer chooses success or failure.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PaymentOutcome:
    succeeded: bool
    provider_reference: str
    failure_reason: str = ""


class PaymentProvider(Protocol):
    name: str

    def take(self, *, amount_pence: int, description: str, token: str) -> PaymentOutcome:
        """Confirm a payment the payer made with the provider; `token` is the provider's handle."""


class DevelopmentPaymentProvider:
    """Simulates the provider: token 'success' pays, 'fail' (or anything else) is declined."""

    name = "development"
    SUCCESS, FAILURE = "success", "fail"

    def take(self, *, amount_pence: int, description: str, token: str) -> PaymentOutcome:
        reference = f"dev-{uuid.uuid4().hex}"
        if token == self.SUCCESS:
            return PaymentOutcome(True, reference)
        return PaymentOutcome(False, reference, "The payment was declined (development provider).")


def payment_provider() -> PaymentProvider:
    return import_string(settings.REGISTRATION_PAYMENT_PROVIDER)()


def fee(purpose: str) -> int:
    return settings.REGISTRATION_FEES_PENCE[purpose]
