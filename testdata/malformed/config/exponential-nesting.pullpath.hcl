c  =l/u     !={
 Nr   ={
  rl/rl/  u  =l/u     !={
 Nr   ={
  rl/rl/  u   !={
  rl/rl/re=c/6- rl/u     !={true   =l/u  #    ={
 Nr   ={
  rl/rl/  u   !={
  rl/  u  =l/u     !={
 Nr   ={
  rl/rl/  u   !={
  rl/rl/re=c/6- rl/u     !={true   =l/u  #    =l/u     !={
 Nr   ={
  rl/rl/  u  =l/u     !={
 Nr   ={
  rl/rl/  u   !={
  rl/rl/re=c/6- rl/u     !={true/u     !={true   =l/u  # rl/rl/re=c/6- rl/l/u     !={
 Nr   ={
  rl/rl/  u  =l/u     !={
 Nr   ={
  rl/rl/  u   !={
  rl/  u  =l/u     !={
 Nr   ={
  rl/rl/  u   !={
  rl/rl/re=c/6- rl/u     !={true   =l/u  #    =l/u     !={
 Nr   ={
  rl/rl/  u  =l/u     !={
 Nr   ={
  rl/rl/  u   !={
  rl/rl/re=c/6- rl/u     !={true/u     !={true   =l/u  # rl/rl/re=c/6- rl/u     !={truenore/u     !={true   =l/u  #    =l/u     !={
 Nr   ={
  rl/rl/  u  =l !={
 Nr   =l/u  #   !={r