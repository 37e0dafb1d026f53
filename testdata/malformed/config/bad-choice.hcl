unknown = "maybe"
