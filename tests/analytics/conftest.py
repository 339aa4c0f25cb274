"""The sending fixtures (recorded jobs, simulated network, templates) serve these tests too."""

from tests.campaigns.conftest import (  # noqa: F401
    jobs,
    network,
    opted_in,
    promo,
    transactional,
    use_provider,
)
