import re

import pytest

LINK = re.compile(r"https?://[^\s]+/comptes/mot-de-passe/([^/\s]+)/")


def link_token(message) -> str:
    """The token of the set-password link in an e-mail."""
    return LINK.search(message.body).group(1)


@pytest.fixture
def token_of():
    return link_token
