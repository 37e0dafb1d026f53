{"fail_on": "warning"}
