"""A provider cannot be recorded twice under its name in other words (normalised name comparison)."""

import pytest

from education_qa import services
from education_qa.services import provider_name_key
from regulator.errors import RuleViolation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "second",
    [
        "Leeds University",
        "university of leeds",
        "The University of Leeds",
        "University of  Leeds.",
        "Univ. of Leeds",
        "Leeds, University of",
    ],
)
def test_a_provider_named_again_in_other_words_is_refused_naming_the_one_that_exists(second):
    services.provider_create(name="University of Leeds", town="Leeds", contact_email="qa@leeds.example", actor=None)
    with pytest.raises(RuleViolation) as refused:
        services.provider_create(name=second, town="Leeds", contact_email="x@leeds.example", actor=None)
    assert refused.value.field == "name" and "already exists" in refused.value.message
    if second.lower() != "university of leeds":
        assert '"University of Leeds"' in refused.value.message


@pytest.mark.parametrize("other", ["Leeds Beckett University", "University of York", "Leeds Trinity University"])
def test_a_different_provider_is_not_refused(other):
    services.provider_create(name="University of Leeds", town="Leeds", contact_email="qa@leeds.example", actor=None)
    services.provider_create(name=other, town="Leeds", contact_email="qa@other.example", actor=None)


def test_the_name_key_ignores_case_order_punctuation_fillers_and_accents():
    assert provider_name_key("Université de Montréal") == provider_name_key("universite de montreal")
    assert provider_name_key("King's College London") == provider_name_key("College, King's, London")
    assert provider_name_key("St Mary's University") == provider_name_key("Saint Mary's University")
