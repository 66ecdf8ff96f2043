# The usual mistakes, one per trail, next to an organization trail that is right but whose
# CIS alarms are set up the way real accounts get them wrong (monitoring.tf).
provider "aws" {
  region = "us-east-1"
}

resource "aws_cloudwatch_log_group" "org" {
  name              = "org-trail"
  retention_in_days = 365
}

resource "aws_iam_role" "org_delivery" {
  name               = "org-trail-delivery"
  assume_role_policy = data.aws_iam_policy_document.cloudtrail_trust.json
}

data "aws_iam_policy_document" "cloudtrail_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "org_delivery" {
  role   = aws_iam_role.org_delivery.name
  name   = "deliver"
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
          "Resource": "${aws_cloudwatch_log_group.org.arn}:*"
        }
      ]
    }
  POLICY
}

resource "aws_cloudtrail" "org" {
  name                       = "org"
  s3_bucket_name             = "org-trail-bucket"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.org.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.org_delivery.arn
}

# Never integrated with CloudWatch Logs.
resource "aws_cloudtrail" "app" {
  name           = "app"
  s3_bucket_name = "app-trail-bucket"
}

# The log group's arn attribute has no ":*" since AWS provider 3.0: CloudTrail rejects it.
resource "aws_cloudtrail" "legacy" {
  name                       = "legacy"
  s3_bucket_name             = "legacy-trail-bucket"
  cloud_watch_logs_group_arn = aws_cloudwatch_log_group.org.arn
  cloud_watch_logs_role_arn  = aws_iam_role.org_delivery.arn
}

# Stopped, keeps 30 days, and its role trusts the wrong service and may not PutLogEvents.
resource "aws_cloudwatch_log_group" "stopped" {
  name              = "stopped-trail"
  retention_in_days = 30
}

resource "aws_iam_role" "stopped" {
  name = "stopped-trail-delivery"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "streams"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "logs:CreateLogStream"
        Resource = "${aws_cloudwatch_log_group.stopped.arn}:*"
      }]
    })
  }
}

resource "aws_cloudtrail" "stopped" {
  name                       = "stopped"
  s3_bucket_name             = "stopped-trail-bucket"
  enable_logging             = false
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.stopped.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.stopped.arn
}

# Trusts CloudTrail, but may only create streams: every event is dropped.
resource "aws_iam_role" "create_only" {
  name               = "create-only-delivery"
  assume_role_policy = data.aws_iam_policy_document.cloudtrail_trust.json
}

resource "aws_iam_policy" "create_only" {
  name = "create-streams"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "create_only" {
  role       = aws_iam_role.create_only.name
  policy_arn = aws_iam_policy.create_only.arn
}

# Its log group is in another region.
resource "aws_cloudtrail" "elsewhere" {
  name                       = "elsewhere"
  s3_bucket_name             = "elsewhere-trail-bucket"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "arn:aws:logs:eu-central-1:111122223333:log-group:elsewhere:*"
  cloud_watch_logs_role_arn  = aws_iam_role.create_only.arn
}

resource "aws_cloudwatch_log_group" "create_only" {
  name              = "create-only-trail"
  retention_in_days = 731
}

resource "aws_cloudtrail" "create_only" {
  name                       = "create-only"
  s3_bucket_name             = "create-only-trail-bucket"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.create_only.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.create_only.arn
}
