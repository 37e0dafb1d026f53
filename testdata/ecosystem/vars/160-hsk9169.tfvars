# Row 160 (hsk9169/medic-aws-terraform): `env` has no default; the project's names use dev/prod.
env = "dev"
