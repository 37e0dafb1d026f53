fail_on = "${"
