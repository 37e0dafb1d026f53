# Modules such as terraform-aws-modules/ecs pass optional inputs through as null
# (`create = each.value.create`); the called module's variable is non-nullable with a default.
module "switch" {
  source = "./modules/switch"
  create = null
}
