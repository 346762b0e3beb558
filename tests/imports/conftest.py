from tests.finance.conftest import books  # noqa: F401  (the fixture, for these tests too)
