import pytest

from reviews.tests.factories import FACTORY_FOR_STATUS


@pytest.mark.parametrize("status", list(FACTORY_FOR_STATUS))
def test_each_state_factory_builds_a_review_in_that_state(people, status):
    review = FACTORY_FOR_STATUS[status](partnership=people.home)
    assert review.status == status
