"""SilverShield (银盾): Chifeng's eight measures against elder-care fraud, as software."""
