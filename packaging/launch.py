"""Entry point of the frozen app: `explorer` exactly as installed by pip (explorer.cli:main)."""
import multiprocessing
import sys

if __name__ == "__main__":
    # First: a child process started by multiprocessing must not run the app again.
    multiprocessing.freeze_support()
    from explorer.cli import main
    sys.exit(main())
