desired = 
