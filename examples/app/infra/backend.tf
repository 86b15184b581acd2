# Remote state: one state file in S3, locked with DynamoDB, so that the plan job and the apply
# job (and every pipeline) see the same state, and two applies never run at once.
terraform {
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "web/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "acme-terraform-locks"
    encrypt        = true
  }
}
