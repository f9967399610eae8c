from jobgen.main import main

raise SystemExit(main())
