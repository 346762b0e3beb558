from tests.ventures.conftest import cast  # noqa: F401  (the venture with every kind of user)
