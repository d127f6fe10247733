import pytest

from tests.portal.content.publishing_support import sections_for


@pytest.fixture
def sections(tree):
    return sections_for(tree)
