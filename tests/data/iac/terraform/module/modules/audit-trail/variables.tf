variable "name" {
  type = string
}

variable "retention_days" {
  type    = number
  default = 90
}

variable "multi_region" {
  type    = bool
  default = true
}

variable "alarm_topic_arn" {
  type        = string
  description = "Where the CIS alarms notify; created outside this module."
}

variable "cis_patterns" {
  type        = map(string)
  description = "CIS class (\"4.3\") => filter pattern."
  default     = {}
}
