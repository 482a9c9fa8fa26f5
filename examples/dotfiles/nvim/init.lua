require("options")
