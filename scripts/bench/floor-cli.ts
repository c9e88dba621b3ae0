import { buildFloor } from './bundle';

// `tsx scripts/bench/floor-cli.ts DIR`: builds the floor bundle into DIR and prints its path. npm run bench runs it
// under Lambda's Node, so the floor that Node loads was also built under it, in the same run.
buildFloor(process.argv[2]).then(
  ({ path }) => console.log(path),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
