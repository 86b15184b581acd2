variable "region" {
  description = "AWS region of the app's resources"
  type        = string
  default     = "eu-west-1"
}
