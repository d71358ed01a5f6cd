"""The checks validation runs: one module per check, each defining ``CHECK``
(validation.checks.check.Check), listed in their order in validation.checks.registry."""
