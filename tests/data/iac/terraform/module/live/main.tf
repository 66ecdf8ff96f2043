# The audit trail of two environments from one local module, the alarms' topic in the root.
provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "security"
  region = var.security_region
}

variable "region" {
  type = string
}

variable "security_region" {
  type    = string
  default = "eu-west-1"
}

variable "environments" {
  type = map(object({ retention_days = number }))
}

variable "cis_patterns" {
  type = map(string)
}

resource "aws_sns_topic" "alarms" {
  provider = aws.security
  name     = "cis-alarms"
}

resource "aws_sns_topic_subscription" "pager" {
  provider  = aws.security
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "https"
  endpoint  = "https://events.pagerduty.example/integration/x/enqueue"
}

module "audit" {
  source   = "../modules/audit-trail"
  for_each = var.environments

  providers = {
    aws = aws.security
  }

  name            = "audit-${each.key}"
  retention_days  = each.value.retention_days
  alarm_topic_arn = aws_sns_topic.alarms.arn
  cis_patterns    = var.cis_patterns
}

# A registry module is not read: what it creates cannot be judged here.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
  name    = "main"
}
