security_region = "eu-central-1"
