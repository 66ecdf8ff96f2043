# Trails whose log group, role or settings are decided outside this configuration.
provider "aws" {
  region = "eu-west-1"
}

variable "delivery_role_arn" {
  type        = string
  description = "Created by the security baseline; passed in by the pipeline."
}

variable "retention_days" {
  type = number
}

variable "create_backup_trail" {
  type = bool
}

# The log group belongs to another stack: read, not defined, here.
data "aws_cloudwatch_log_group" "shared" {
  name = "org-cloudtrail"
}

resource "aws_cloudtrail" "shared" {
  name                       = "shared"
  s3_bucket_name             = "shared-trail-bucket"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${data.aws_cloudwatch_log_group.shared.arn}:*"
  cloud_watch_logs_role_arn  = var.delivery_role_arn
}

# ARNs written out with an account id: which account this code deploys to is not in the code.
resource "aws_cloudwatch_log_group" "pinned" {
  name              = "pinned-trail"
  retention_in_days = var.retention_days
}

resource "aws_iam_role" "pinned" {
  name = "pinned-trail-delivery"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }
    }]
  })
}

resource "aws_iam_role_policy" "pinned" {
  role = aws_iam_role.pinned.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "arn:aws:logs:eu-west-1:123456789012:log-group:pinned-trail:*"
    }]
  })
}

resource "aws_cloudtrail" "pinned" {
  name                       = "pinned"
  s3_bucket_name             = "pinned-trail-bucket"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.pinned.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.pinned.arn
}

resource "aws_cloudtrail" "literal" {
  name                       = "literal"
  s3_bucket_name             = "literal-trail-bucket"
  cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:literal:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::123456789012:role/literal-delivery"
}

resource "aws_cloudtrail" "backup" {
  count          = var.create_backup_trail ? 1 : 0
  name           = "backup"
  s3_bucket_name = "backup-trail-bucket"
}
