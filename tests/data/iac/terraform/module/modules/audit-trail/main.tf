data "aws_caller_identity" "this" {}
data "aws_region" "this" {}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/cloudtrail/${var.name}"
  retention_in_days = var.retention_days
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-cloudtrail-to-cwl"
  path               = "/service-role/"
  assume_role_policy = file("${path.module}/trust.json")
}

resource "aws_iam_role_policy" "this" {
  name = "deliver"
  role = aws_iam_role.this.id
  policy = templatefile("${path.module}/deliver.json.tftpl", {
    log_group_arn = aws_cloudwatch_log_group.this.arn
    account_id    = data.aws_caller_identity.this.account_id
    region        = data.aws_region.this.name
  })
}

resource "aws_cloudtrail" "this" {
  name                       = var.name
  s3_bucket_name             = "${var.name}-trail-logs"
  is_multi_region_trail      = var.multi_region
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.this.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.this.arn

  dynamic "advanced_event_selector" {
    for_each = ["Management events"]
    content {
      name = advanced_event_selector.value
      field_selector {
        field  = "eventCategory"
        equals = ["Management"]
      }
    }
  }
}

resource "aws_cloudwatch_log_metric_filter" "cis" {
  for_each       = var.cis_patterns
  name           = "cis-${each.key}"
  log_group_name = aws_cloudwatch_log_group.this.name
  pattern        = each.value

  metric_transformation {
    name      = "cis-${replace(each.key, ".", "-")}"
    namespace = "CIS/${var.name}"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cis" {
  for_each            = aws_cloudwatch_log_metric_filter.cis
  alarm_name          = "${var.name}-${each.key}"
  metric_name         = each.value.metric_transformation[0].name
  namespace           = each.value.metric_transformation[0].namespace
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [var.alarm_topic_arn]
}

output "log_group_name" {
  value = aws_cloudwatch_log_group.this.name
}

output "trail_arn" {
  value = aws_cloudtrail.this.arn
}
