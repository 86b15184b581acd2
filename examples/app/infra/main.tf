# The app's infrastructure outside Kubernetes: a bucket for its uploads. Planned and applied by
# the Terraform pipelines (.semaphore/terraform-*.yml, .github/workflows/terraform.yml,
# .gitlab-ci.yml), never from a laptop.
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

resource "aws_s3_bucket" "uploads" {
  bucket = "acme-web-uploads"
}

resource "aws_s3_bucket_versioning" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  versioning_configuration {
    status = "Enabled"
  }
}
