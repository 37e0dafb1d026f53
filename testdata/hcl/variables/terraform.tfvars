from_tfvars      = "terraform.tfvars"
from_tfvars_json = "terraform.tfvars"
from_auto        = "terraform.tfvars"
from_var_file    = "terraform.tfvars"
from_var         = "terraform.tfvars"
settings = {
  region = "sa-east-1"
}
