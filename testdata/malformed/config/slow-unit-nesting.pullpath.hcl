cre=c/6- rl/u     !={
 Nr ={
  rl/rl/u     !={
!Nr =c/6- rl/u     !={
 re=c/6- rl/u     !={
 Nr ={
  r/u     !={
 Nr ={
  rl/rl/u     !={
!Nr =c/6- rl/u     !={
 re=c/6- rl/u     !={
 Nr ={
  rl/rl/u     !={
!Nr =c/6- rl/u     !={
l/rl/u     !={
!Nr =c/6- rl/u     !={

!Nr =c/6- rl/u     !={
 re=c/6- rl/u     !={
 Nr ={
  rl/rl/u     !={
!Nr =c/6- rl/u     !={
l/rl/u     !={
!Nr =c/6- rl/u     !={
 Nr ={
  rl/rNr ={ Nr ={
  rl/rNr ={ݘ-