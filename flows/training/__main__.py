import sys

from flows.training.train import main

sys.exit(main())
