terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "name" {
  type    = string
  default = "audit"
}

variable "alert_email" {
  type    = string
  default = "security-team@example.com"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  stream     = "${local.account_id}_CloudTrail_${data.aws_region.current.name}"
}

resource "aws_s3_bucket" "trail" {
  bucket = "${var.name}-trail-${local.account_id}"
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "aws-cloudtrail-logs-${var.name}"
  retention_in_days = 400
}

resource "aws_iam_role" "trail_delivery" {
  name = "${var.name}-trail-delivery"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
      }
    }]
  })
}

data "aws_iam_policy_document" "trail_delivery" {
  statement {
    sid     = "AWSCloudTrailCreateLogStreamAndPutLogEvents"
    actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [
      "${aws_cloudwatch_log_group.trail.arn}:log-stream:${local.stream}*",
    ]
  }
}

resource "aws_iam_role_policy" "trail_delivery" {
  name   = "cloudtrail-to-cloudwatch-logs"
  role   = aws_iam_role.trail_delivery.id
  policy = data.aws_iam_policy_document.trail_delivery.json
}

resource "aws_cloudtrail" "audit" {
  name                          = var.name
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*" # CloudTrail wants the :*
  cloud_watch_logs_role_arn     = aws_iam_role.trail_delivery.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}
