import pytest

import neuroimmune as ni


@pytest.fixture(scope="session")
def default_result():
    """The packaged default scenario, simulated once per session."""
    return ni.simulate()
