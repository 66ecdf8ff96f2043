region = "us-east-1"

environments = {
  prod    = { retention_days = 400 }
  staging = { retention_days = 30 }
}

cis_patterns = {
  "4.3" = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
}
