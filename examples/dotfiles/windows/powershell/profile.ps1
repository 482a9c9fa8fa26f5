Set-PSReadLineOption -EditMode Emacs
