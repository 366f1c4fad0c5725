module example.com/gobad

go 1.19
