defaults write com.apple.dock autohide -bool true
