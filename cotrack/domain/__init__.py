"""The rules and values of the domain, without HTTP or storage: permissions, money, input."""
