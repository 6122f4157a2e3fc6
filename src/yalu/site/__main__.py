import sys

from yalu.site import main

sys.exit(main())
