# The org trail's CIS alarms, as real accounts get them wrong.
resource "aws_sns_topic" "alarms" {
  name = "cis-alarms"
}

resource "aws_sns_topic_subscription" "soc" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = "soc@example.com"
}

# A topic nobody subscribed to.
resource "aws_sns_topic" "unsubscribed" {
  name = "cis-alarms-unsubscribed"
}

locals {
  filters = {
    # 4.1 with its clauses joined by && : an error code cannot be both, so it never fires.
    unauthorized = {
      metric  = "UnauthorizedAPICalls"
      pattern = "{ ($.errorCode = \"*UnauthorizedOperation\") && ($.errorCode = \"AccessDenied*\") }"
      topic   = aws_sns_topic.alarms.arn
      enabled = true
    }
    # Right, and notifies someone.
    root = {
      metric  = "RootUsage"
      pattern = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
      topic   = aws_sns_topic.alarms.arn
      enabled = true
    }
    # Right, but its alarm's actions are disabled.
    iam = {
      metric  = "IAMPolicyChanges"
      pattern = "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }"
      topic   = aws_sns_topic.alarms.arn
      enabled = false
    }
    # CIS before v4.0: no ModifySecurityGroupRules.
    security_groups = {
      metric  = "SecurityGroupChanges"
      pattern = "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"
      topic   = aws_sns_topic.alarms.arn
      enabled = true
    }
    # Right, but nobody is subscribed to its topic.
    cloudtrail = {
      metric  = "CloudTrailChanges"
      pattern = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
      topic   = aws_sns_topic.unsubscribed.arn
      enabled = true
    }
  }
}

resource "aws_cloudwatch_log_metric_filter" "cis" {
  for_each       = local.filters
  name           = each.key
  log_group_name = aws_cloudwatch_log_group.org.name
  pattern        = each.value.pattern

  metric_transformation {
    name      = each.value.metric
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cis" {
  for_each            = local.filters
  alarm_name          = "cis-${each.key}"
  metric_name         = each.value.metric
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  actions_enabled     = each.value.enabled
  alarm_actions       = [each.value.topic]
}
